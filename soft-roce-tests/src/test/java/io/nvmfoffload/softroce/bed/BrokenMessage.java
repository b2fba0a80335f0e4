package io.nvmfoffload.softroce.bed;

final class BrokenMessage {
    static final String TEXT = "deliberately broken in-bed test: this message must reach the host build";

    private BrokenMessage() {}
}
