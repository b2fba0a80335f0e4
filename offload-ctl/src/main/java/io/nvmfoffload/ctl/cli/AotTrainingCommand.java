package io.nvmfoffload.ctl.cli;

import io.nvmfoffload.ctl.config.ConfigService;
import io.nvmfoffload.ctl.config.TargetControl;
import io.nvmfoffload.ctl.rpc.EventLog;
import io.nvmfoffload.ctl.rpc.OffloadStateSource;
import io.nvmfoffload.ctl.rpc.RpcMethods;
import io.nvmfoffload.ctl.rpc.RpcServer;
import io.nvmfoffload.ctl.rpc.TargetStatus;
import io.nvmfoffload.nvmf.Target;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The launcher's training run for the JVM's AOT cache: typical client commands against a
 * throw-away in-process target on a private socket, output discarded, nothing else touched.
 */
@Command(name = "aot-training", mixinStandardHelpOptions = true,
        hidden = true, description = "Exercise the client commands once (for the launcher's AOT cache).")
final class AotTrainingCommand implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("offload-ctl-training");
        Path socket = dir.resolve("ctl.sock");
        ConfigService service = new ConfigService(TargetControl.detached(new Target()));
        try (RpcServer server = RpcServer.start(socket, RpcMethods.dispatcher(service,
                new TargetStatus(service, null, OffloadStateSource.NOT_REPORTED), new EventLog()))) {
            String[][] runs = {{"host", "add", "nqn.2014-08.org.example:training"}, {"host", "list"}, {"subsystem", "list"},
                    {"status"}, {"status", "--json"}, {"stats"}, {"offload", "show"}, {"port", "list"}};
            for (String[] args : runs) {
                String[] withSocket = java.util.Arrays.copyOf(args, args.length + 2);
                withSocket[args.length] = "--socket";
                withSocket[args.length + 1] = socket.toString();
                CommandLine cli = OffloadCtl.commandLine(withSocket);
                cli.setOut(new PrintWriter(new StringWriter()));
                cli.setErr(new PrintWriter(new StringWriter()));
                cli.execute(withSocket);
            }
        } finally {
            Files.deleteIfExists(dir);
        }
        return 0;
    }
}
