package io.nvmfoffload.verbs;

/**
 * An RDMA device as {@code ibv_get_device_list} describes it, captured as plain values so that it
 * outlives the C list. {@link #report()} queries everything at once; {@link #open()} gives a {@link DeviceContext} for everything else.
 *
 * @param name       kernel device name, e.g. "rxe0"
 * @param guid       node GUID (numeric value; {@link #guidString()} formats it)
 * @param uverbsName name of the uverbs character device, e.g. "uverbs0"
 * @param ibdevPath  sysfs path of the device
 */
public record RdmaDevice(String name, long guid, NodeType nodeType, IbvTransportType transportType,
                         String uverbsName, String ibdevPath) {

    public String guidString() {
        return Guid.format(guid);
    }

    /** Opens the device; close the context when done. */
    public DeviceContext open() {
        return RdmaDevices.open(name);
    }

    /** Opens the device, queries attributes, ports and GIDs, and closes it again. */
    public DeviceReport report() {
        try (DeviceContext context = open()) {
            return context.report();
        }
    }
}
