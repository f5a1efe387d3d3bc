package io.jlvs.tools.netns;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class ExternalProgramTest {
    private static final ExternalProgram ABSENT_BY_PATH = new ExternalProgram("/nonexistent/jlvs-absent-tool", "jlvs-absent-a");
    private static final ExternalProgram ABSENT_ON_PATH = new ExternalProgram("jlvs-absent-tool", "jlvs-absent-b");

    @Test
    void theMessageNamesEveryMissingProgramAndItsPackageAndNothingInstalled() {
        String message = ExternalProgram.missingMessage("jlvs bench", List.of(ExternalProgram.SH, ABSENT_BY_PATH, ABSENT_ON_PATH));

        assertEquals("jlvs bench: missing /nonexistent/jlvs-absent-tool (Debian package jlvs-absent-a), jlvs-absent-tool "
                + "(Debian package jlvs-absent-b); install them (apt-get install jlvs-absent-a jlvs-absent-b) and run again",
                message);
    }

    @Test
    void nothingMissingGivesNoMessage() {
        assertNull(ExternalProgram.missingMessage("jlvs demo", List.of(ExternalProgram.SH)));
    }
}
