package io.nvmfoffload.softroce.bed;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that needs a real RDMA device: the host build skips it, and the soft-RoCE bed
 * runs it inside (see {@code SoftRoceBedTest}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(InBed.TAG)
public @interface InBed {
    String TAG = "in-guest";
}
