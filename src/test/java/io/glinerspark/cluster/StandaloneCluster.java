package io.glinerspark.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.Deflater;

/**
 * A Spark standalone cluster on 127.0.0.1: one Master and {@code workers} Worker JVMs started as child processes
 * from the build's class path. Workers launch executor JVMs from a minimal Spark home: {@code jars/} (links to the
 * dependency jars and a jar of the project's classes) and a {@code RELEASE} file, which is what Spark's launcher
 * needs to take its class path from {@code jars/} instead of a source build's folders.
 */
final class StandaloneCluster implements AutoCloseable {

    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");
    private static final Pattern CORES_USED = Pattern.compile("\"coresused\"\\s*:\\s*(\\d+)");
    private static final Pattern ACTIVE_APPS = Pattern.compile("\"activeapps\"\\s*:\\s*\\[\\s*(.)");

    private final Path root;
    private final Path sparkHome;
    private final String masterUrl;
    private final int masterWebPort;
    private final ChildJvm master;
    private final List<ChildJvm> workers;
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StandaloneCluster(Path root, Path sparkHome, String masterUrl, int masterWebPort, ChildJvm master,
                              List<ChildJvm> workers, Thread shutdownHook) {
        this.root = root;
        this.sparkHome = sparkHome;
        this.masterUrl = masterUrl;
        this.masterWebPort = masterWebPort;
        this.master = master;
        this.workers = workers;
        this.shutdownHook = shutdownHook;
    }

    /**
     * Starts a Master and {@code workers} Workers (one core and {@code workerMemory} each) and waits until all
     * workers have registered.
     *
     * @param projectClasses the project's compiled classes (target/classes), jarred into the Spark home
     * @param dependencies   the jars executors need: Spark, Delta and the project's own dependencies
     */
    static StandaloneCluster start(Path root, Path projectClasses, List<Path> dependencies, int workers,
                                   String workerMemory) throws IOException, InterruptedException {
        Path sparkHome = sparkHome(root.resolve("spark-home"), projectClasses, dependencies);
        int masterPort = freePort();
        int masterWebPort = freePort();
        String masterUrl = "spark://127.0.0.1:" + masterPort;
        List<ChildJvm> started = new ArrayList<>();
        Thread hook = new Thread(() -> stopAll(started), "stop-standalone-cluster");
        Runtime.getRuntime().addShutdownHook(hook);
        String classpath = sparkHome.resolve("jars") + "/*";
        Map<String, String> environment = environment(sparkHome, root);

        ChildJvm master = ChildJvm.start("master", withArguments(ChildJvm.javaCommand(classpath, "256m",
                        // No REST submission server: it would take the fixed port 6066, which other clusters may hold.
                        List.of("-Dspark.master.rest.enabled=false"), "org.apache.spark.deploy.master.Master"),
                "--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                "--webui-port", String.valueOf(masterWebPort)), environment, root.resolve("logs/master.log"));
        synchronized (started) {
            started.add(master);
        }
        List<ChildJvm> workerJvms = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Path workDir = Files.createDirectories(root.resolve("work-" + i));
            ChildJvm worker = ChildJvm.start("worker-" + i, withArguments(ChildJvm.javaCommand(classpath, "256m", List.of(),
                            "org.apache.spark.deploy.worker.Worker"), "--host", "127.0.0.1", "--port", "0",
                    "--webui-port", String.valueOf(freePort()), "--cores", "1", "--memory", workerMemory,
                    "--work-dir", workDir.toString(), masterUrl), environment, root.resolve("logs/worker-" + i + ".log"));
            synchronized (started) {
                started.add(worker);
            }
            workerJvms.add(worker);
        }
        StandaloneCluster cluster = new StandaloneCluster(root, sparkHome, masterUrl, masterWebPort, master, workerJvms, hook);
        cluster.awaitWorkers(workers, Duration.ofMinutes(2));
        return cluster;
    }

    /** {@code spark://127.0.0.1:port}. */
    String masterUrl() {
        return masterUrl;
    }

    /** The class path of the cluster's JVMs: {@code <spark home>/jars/*}. */
    String classpath() {
        return sparkHome.resolve("jars") + "/*";
    }

    /** Environment of the cluster's JVMs and of the drivers: Spark home, Scala version, offline tokenizer library. */
    Map<String, String> environment() {
        return environment(sparkHome, root);
    }

    /** Folder for this cluster's scratch files. */
    Path root() {
        return root;
    }

    /** The executor JVMs the workers are running now. */
    List<ProcessHandle> executors() {
        return workers.stream().flatMap(w -> w.handle().descendants())
                .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend")).toList();
    }

    /**
     * Waits until no application holds cores, so that each job starts on a cluster with both workers free (a
     * killed driver's executors are stopped by their workers once the master has noticed the driver is gone).
     */
    void awaitIdle(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = masterState();
            Matcher cores = CORES_USED.matcher(state);
            Matcher apps = ACTIVE_APPS.matcher(state);
            if (cores.find() && cores.group(1).equals("0") && apps.find() && apps.group(1).equals("]")
                    && executors().isEmpty()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the cluster did not become idle in " + limit + "; master state: " + state);
    }

    /** Logs of the master and the workers, for failure messages. */
    String daemonLogs() {
        StringBuilder logs = new StringBuilder();
        for (ChildJvm jvm : Stream.concat(Stream.of(master), workers.stream()).toList()) {
            String log = jvm.log();
            logs.append("--- ").append(jvm).append(" (last 3000 characters)\n")
                    .append(log, Math.max(0, log.length() - 3000), log.length()).append('\n');
        }
        return logs.toString();
    }

    /** Stops every process of the cluster and deletes its Spark home (logs and tables stay for diagnosis). */
    @Override
    public void close() {
        stopAll(Stream.concat(workers.stream(), Stream.of(master)).toList());
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or has run; it stops the same processes.
        }
        try (Stream<Path> files = Files.walk(sparkHome)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + sparkHome, e);
        }
    }

    private static void stopAll(List<ChildJvm> jvms) {
        List<ChildJvm> snapshot;
        synchronized (jvms) {
            snapshot = List.copyOf(jvms);
        }
        for (ChildJvm jvm : snapshot) {
            try {
                jvm.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitWorkers(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            if (!master.isAlive() || workers.stream().anyMatch(w -> !w.isAlive())) {
                close();
                throw new IllegalStateException("a cluster daemon exited at start\n" + daemonLogs());
            }
            state = masterState();
            Matcher alive = ALIVE_WORKERS.matcher(state);
            if (alive.find() && Integer.parseInt(alive.group(1)) == count) {
                return;
            }
            Thread.sleep(250);
        }
        String logs = daemonLogs();
        close();
        throw new IllegalStateException(count + " workers did not register in " + limit + "; master state: " + state
                + "\n" + logs);
    }

    /** The master's JSON status page; empty while it is not answering yet. */
    private String masterState() throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterWebPort + "/json/"))
                    .timeout(Duration.ofSeconds(5)).build();
            return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException notYet) {
            return "";
        }
    }

    private static Path sparkHome(Path home, Path projectClasses, List<Path> dependencies) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        for (Path jar : dependencies) {
            Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
        }
        jar(projectClasses, jars.resolve("gliner-spark-classes.jar"));
        Files.writeString(home.resolve("RELEASE"), "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION()
                + " (test distribution: the build's jars)\n", StandardCharsets.UTF_8);
        return home;
    }

    /** A jar of {@code classes}, uncompressed: it is read once per executor and written once per cluster. */
    private static void jar(Path classes, Path target) throws IOException {
        try (OutputStream file = Files.newOutputStream(target); JarOutputStream jar = new JarOutputStream(file);
             Stream<Path> entries = Files.walk(classes)) {
            jar.setLevel(Deflater.NO_COMPRESSION);
            for (Path path : entries.sorted().toList()) {
                String name = classes.relativize(path).toString().replace('\\', '/');
                if (name.isEmpty()) {
                    continue;
                }
                boolean directory = Files.isDirectory(path);
                jar.putNextEntry(new JarEntry(directory ? name + "/" : name));
                if (!directory) {
                    Files.copy(path, jar);
                }
                jar.closeEntry();
            }
        }
    }

    private static Map<String, String> environment(Path sparkHome, Path root) {
        Map<String, String> environment = new HashMap<>();
        environment.put("SPARK_HOME", sparkHome.toString());
        environment.put("SPARK_SCALA_VERSION", "2.13");
        environment.put("SPARK_LOCAL_IP", "127.0.0.1");
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("DJL_OFFLINE", "true");
        environment.put("DJL_CACHE_DIR", root.resolve("djl-cache").toString());
        return environment;
    }

    private static List<String> withArguments(List<String> command, String... arguments) {
        List<String> result = new ArrayList<>(command);
        result.addAll(List.of(arguments));
        return result;
    }

    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(process.pid()), "cmdline"), StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException gone) {
            return process.info().commandLine().orElse("");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
