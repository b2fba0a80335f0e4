package io.nvmfoffload.ctl.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NvmetcliImporterTest {
    /** The shape nvmetcli's save writes (nvmet/nvme.py dump), with things we cannot map and the vendor's offload files. */
    private static final String NVMETCLI = """
            {
              "hosts": [{"nqn": "nqn.2014-08.org.nvmexpress:uuid:aaaaaaaa-1111-4111-8111-111111111111"}],
              "ports": [
                {"addr": {"adrfam": "ipv4", "traddr": "192.168.10.1", "treq": "not specified", "trsvcid": "4420", "trtype": "rdma"},
                 "param": {"inline_data_size": "4096", "max_queue_size": "256"},
                 "portid": 1, "referrals": [], "ana_groups": [{"ana": {"state": "optimized"}, "grpid": 1}],
                 "subsystems": ["nqn.2014-08.org.example:disk"]},
                {"addr": {"adrfam": "fc", "traddr": "nn-0x1:pn-0x2", "treq": "not specified", "trsvcid": "none", "trtype": "fc"},
                 "portid": 2, "referrals": [], "subsystems": []}
              ],
              "subsystems": [
                {"nqn": "nqn.2014-08.org.example:disk",
                 "attr": {"allow_any_host": "0", "serial": "a1b2c3d4", "version": "1.3", "model": "Linux", "cntlid_min": "1",
                          "cntlid_max": "65519", "pi_enable": "0", "qid_max": "16", "offload": "1"},
                 "allowed_hosts": ["nqn.2014-08.org.nvmexpress:uuid:aaaaaaaa-1111-4111-8111-111111111111"],
                 "namespaces": [
                   {"device": {"nguid": "00000000-0000-0000-0000-000000000000", "path": "/dev/nvme0n1",
                               "uuid": "2bd5ad4c-8f1b-4f71-9b1a-5d2ad6e0f7a1"}, "enable": 1, "nsid": 1, "ana_grpid": 1,
                    "offload_cmd_tmo_us": "5000000"},
                   {"device": {"path": "/srv/ns2.img"}, "enable": 0, "nsid": 2}
                 ]}
              ]
            }
            """;

    @Test
    void mapsWhatHasACounterpartAndReportsTheRestWithPointers() {
        NvmetcliImporter.Result r = NvmetcliImporter.convert(ConfigReader.parse(NVMETCLI));
        assertEquals(List.of("/subsystems/0/attr/qid_max", "/subsystems/0/attr/offload", "/subsystems/0/namespaces/1/enable",
                "/ports/0/param/max_queue_size", "/ports/1/addr/trtype"), r.unmapped().stream().map(ConfigError::pointer).toList());
        TargetConfig c = ConfigReader.read(r.document());
        SubsystemConfig s = c.subsystems().getFirst();
        assertEquals("a1b2c3d4", s.serial());
        assertEquals(List.of("nqn.2014-08.org.nvmexpress:uuid:aaaaaaaa-1111-4111-8111-111111111111"), s.allowedHosts());
        assertEquals(new StoreConfig.Block(java.nio.file.Path.of("/dev/nvme0n1"), 4096, false), s.namespaces().getFirst().store());
        assertEquals("2bd5ad4c-8f1b-4f71-9b1a-5d2ad6e0f7a1", s.namespaces().getFirst().ids().uuid());
        assertEquals(1, s.namespaces().size(), "the disabled namespace is left out");
        assertEquals(5_000_000L, s.namespaces().getFirst().offloadCommandTimeoutUs(), "the vendor's offload_cmd_tmo_us");
        PortConfig p = c.ports().getFirst();
        assertEquals(4096, p.inCapsuleDataSize());
        assertEquals(List.of("nqn.2014-08.org.example:disk"), p.subsystems());
        assertEquals(ProviderConfig.EMULATED, c.offloadProvider().name());
        assertEquals(1, c.ports().size(), "the fc port is left out");
    }

    @Test
    void theVendorsPassthroughParameterIsMappedWithAProfileThatHasTheCapability() {
        String saved = NVMETCLI.replace("\"max_queue_size\": \"256\"", "\"offload_passthrough_sqe_rw\": \"1\"");
        NvmetcliImporter.Result r = NvmetcliImporter.convert(ConfigReader.parse(saved));
        assertTrue(r.unmapped().stream().anyMatch(e -> e.pointer().equals("/ports/0/param/offload_passthrough_sqe_rw")
                && e.message().startsWith("note:")), r.unmapped().toString());
        TargetConfig c = ConfigReader.read(r.document());
        assertTrue(c.ports().getFirst().offloadPassthroughSqeRw());
        assertTrue(c.offloadProfile().capabilities().passthroughSqeRwService());
    }
}
