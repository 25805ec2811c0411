package io.eqlwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

class StartupCompilationTest {

    /** The JVM's compiler directives as {@code jcmd PID Compiler.directives_print} shows them. */
    private static String directives() throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"),
                        "compilerDirectivesPrint",
                        new Object[] {new String[0]},
                        new String[] {String[].class.getName()});
    }

    @Test
    void c2IsExcludedDuringThePhaseAndTheDirectivesAreAsBeforeAfterIt() throws Exception {
        String before = directives();
        StartupCompilation startup = StartupCompilation.begin();
        String during = directives();
        startup.close();

        String c2During = during.substring(during.indexOf("c2 directives:"));
        assertTrue(c2During.contains("Exclude:true"), during);
        assertEquals(before, directives());
    }

    @Test
    void liftingTwiceRemovesOnlyItsOwnDirective() throws Exception {
        StartupCompilation outer = StartupCompilation.begin();
        String withOuter = directives();
        StartupCompilation inner = StartupCompilation.begin();
        inner.close();
        inner.close();

        assertEquals(withOuter, directives());
        outer.close();
    }
}
