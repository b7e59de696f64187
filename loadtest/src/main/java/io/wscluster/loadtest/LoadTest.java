package io.wscluster.loadtest;

import io.wscluster.loadtest.run.Options;
import io.wscluster.loadtest.run.Coordinator;
import io.wscluster.loadtest.run.Worker;

/** The load-test command line: {@code java -jar wscluster-loadtest.jar [--name=value ...]}; see {@link #USAGE}. */
public final class LoadTest {

    static final String USAGE = """
            wscluster load test: many WebSocket connections, publishers, latency, loss and failover, with a report.

              java -jar loadtest/target/wscluster-loadtest.jar [--name=value ...]

            Connections
              --targets=URL,...        ws://, wss:// or http:// entries; connections are spread over them
                                       (default ws://127.0.0.1:8000/ws, the HAProxy entry of payara/cluster.sh)
              --connections=N          subscribing connections (default 1000), users lt-0 .. lt-(N-1)
              --ramp=R                 new connections per second, all processes together (default 500)
              --processes=P            worker processes (default: one per 15,000 connections; a process may
                                       hold at most 20,000 open files on this machine)
              --source-addresses=SPEC  auto (default: 127.0.0.1.. one per 25,000 connections when one address
                                       runs out of ports), none, a count N (127.0.0.1..127.0.0.N) or a list
              --trust=FILE             PEM certificate to trust for wss:// (e.g. payara/target/run/lb/tls.crt)
              --max-in-flight=N        connection attempts in flight at once, shared by the processes (at least 1
                                       each; default 0: no limit); the others, reconnects too, wait their turn,
                                       so the ramp runs at what the cluster takes instead of piling up in its
                                       listen queues
              --connect-timeout=D      extra time for the connect phase beyond N/R (default 60s)
              --heartbeat=D            ping interval (default 25s); a socket silent for twice as long is given
                                       up and reconnected, as the client library does
              --secrets=FILE           cluster.sh's secrets.env (default: the one in --run-dir): each user's
                                       token is signed with its HMAC secret and sent in a connect frame; REST
                                       publishing uses its API key. Without it, users go by ?user= only.
            Channels and publishing
              --channels=SPEC          hot (one channel, default), skewed:K (K channels, Zipf popularity) or
                                       uniform:K; named room.bench.0 .. room.bench.(K-1)
              --subscriptions=S        channels per connection, drawn from the mix (default 1)
              --rate=M                 messages published per second in total (default 0: connections only)
              --publishers=K           publishing connections (default: one per 500 msgs/s; a node allows
                                       1,000 frames/s per connection)
              --publish-via=socket|rest  over the publishers' WebSockets (default) or POST /api/channels/..
              --payload=BYTES          size of each message's data (default 100)
              --warmup=D               publishing before latency is recorded (default 5s)
              --duration=D             measured publishing, or holding the connections when --rate=0 (default 30s)
              --drain-timeout=D        wait for deliveries after publishing stops (default 10s)
            Failover
              --kill=node-N@D          signal node N of a cluster.sh cluster D after publishing starts
              --kill-signal=KILL|TERM  KILL crashes it (default), TERM drains it
              --run-dir=DIR            cluster.sh's run directory, where node-N/pid is (default payara/target/run)
            Report
              --sample-nodes=DIR       measure each node of that run directory before and after connecting:
                                       heap after a full GC (jcmd) and RSS, per connection
              --node-cpu               read the CPU time the nodes of --run-dir spend while publishing is
                                       measured: deliveries per node CPU-second, comparable across machines
              --report=DIR             where summary.txt, report.json and the PNG charts go
                                       (default loadtest-reports/<UTC time>)
              --label=TEXT             the report's title
              --slo-p99-ms=X           exit with 3 when p99 latency is above X or any message was lost
              --worker-heap=SIZE       -Xmx of each worker process (default 1g)
              --worker-jvm-options=O   more JVM options of each worker process (default -XX:TieredStopAtLevel=1:
                                       a worker lives for one run, and the full JIT cost it as much CPU as its
                                       connections did)
              --seed=N                 channel choices are reproducible for a seed (default 1)

            Durations: 30s, 2m, 500ms or plain seconds. Progress is printed every second; the run stops by itself.
            """;

    private LoadTest() {
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
            if (options.has("help")) {
                System.out.print(USAGE);
                return;
            }
            if (options.has("worker")) {
                Worker.main(options);
                return;
            }
            System.exit(new Coordinator(options).run());
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("see --help");
            System.exit(2);
        }
    }
}
