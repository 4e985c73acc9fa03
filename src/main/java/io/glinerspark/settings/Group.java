package io.glinerspark.settings;

/** What a setting governs. */
public enum Group {
    /**
     * Which model runs and where (files, device, threads, batch budgets, block size). Read only from an
     * application's configuration as it started: a SQL call or a session may not change them.
     */
    MODEL("model and placement"),
    /** How the model's scores become entities; a SQL call's options map may override them. */
    DECODING("decoding"),
    /** What to find. */
    TASK("task"),
    /** The extraction job's input, output and run. */
    JOB("extraction job"),
    /** The evaluation job's datasets and results. */
    EVALUATION("evaluation"),
    /** The benchmarks' corpus. */
    BENCHMARK("benchmark"),
    /** The Transformer's input and output columns. */
    COLUMNS("Transformer columns"),
    /**
     * What the sessions and clients of one application may do (which models they may load, how long a text a SQL
     * call extracts). Read only from an application's configuration as it started, like {@link #MODEL}.
     */
    LIMITS("application limits");

    private final String title;

    Group(String title) {
        this.title = title;
    }

    /** A few words naming the group, for help texts. */
    public String title() {
        return title;
    }
}
