package io.jlvs.health.engine;

import io.jlvs.control.AdmException;
import io.jlvs.control.model.IpvsConfig;

import java.util.function.UnaryOperator;

/**
 * The director's desired state as the health engine changes it: one edit at a time, serialised with jlvsadm's
 * changes (the daemon passes AdmExecutor::change). A refused edit leaves the state in force.
 */
public interface DesiredState {
    IpvsConfig current();

    IpvsConfig change(UnaryOperator<IpvsConfig> edit) throws AdmException;
}
