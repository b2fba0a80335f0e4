package io.nvmfoffload.softroce.bed;

/** One test that ran inside the bed, as its JUnit XML report recorded it. */
public record BedTestResult(String className, String name, Outcome outcome, String message, String detail, double seconds) {

    public enum Outcome { PASSED, FAILED, ERROR, SKIPPED }

    public String displayName() {
        int dot = className.lastIndexOf('.');
        return className.substring(dot + 1) + "." + name;
    }
}
