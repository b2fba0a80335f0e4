package io.nvmfoffload.softroce.bed;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the bed: this host if it has or can make rxe0, else a qemu guest, else a container; or the
 * one named by the {@code softroce.bed} property. Records why each bed passed over was not usable.
 */
public final class TestBedSelector {

    public record Choice(TestBed bed, List<String> passedOver) {
        public boolean found() {
            return bed != null;
        }

        public String explain() {
            return (bed == null ? "no soft-RoCE bed can run here" : "soft-RoCE bed: " + bed.name())
                    + (passedOver.isEmpty() ? "" : " (" + String.join("; ", passedOver) + ")");
        }
    }

    private TestBedSelector() {}

    public static List<TestBed> all(Path project) {
        return List.of(new HostRdmaBed(project), new QemuGuestBed(project), new ContainerBed(project));
    }

    public static Choice choose(Path project, String requested) {
        String wanted = requested == null || requested.isBlank() ? "auto" : requested.toLowerCase(Locale.ROOT);
        List<TestBed> beds = all(project);
        List<String> passedOver = new ArrayList<>();
        for (TestBed bed : beds) {
            if (!wanted.equals("auto") && !wanted.equals(bed.name())) {
                continue;
            }
            TestBed.Availability availability = bed.probe();
            if (availability.available()) {
                return new Choice(bed, passedOver);
            }
            passedOver.add(bed.name() + ": " + availability.reason());
        }
        if (!wanted.equals("auto") && beds.stream().noneMatch(b -> b.name().equals(wanted))) {
            passedOver.add("softroce.bed=" + requested + " names no bed; use auto, host, qemu or container");
        }
        return new Choice(null, passedOver);
    }
}
