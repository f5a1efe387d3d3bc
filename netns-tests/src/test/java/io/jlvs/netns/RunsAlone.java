package io.jlvs.netns;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that must have the machine to itself: it floods, or moves gigabytes, and either its own assertions
 * or those of a class running beside it depend on the CPU it would take. The build runs these one at a time after
 * the other netns tests, which run two classes side by side.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(RunsAlone.TAG)
@interface RunsAlone {
    String TAG = "runs-alone";
}
