package io.sparserandom.cli;

import picocli.CommandLine;

/** The version from the jar manifest (set by the build). */
final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {
            "sparse-random " + (v == null ? "(development build)" : v),
            "Java "
                    + System.getProperty("java.version")
                    + " ("
                    + System.getProperty("java.vm.name")
                    + ")"
        };
    }
}
