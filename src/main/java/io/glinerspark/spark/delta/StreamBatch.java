package io.glinerspark.spark.delta;

/**
 * One micro-batch of a stream: Delta records {@code (appId, batchId)} with an append and skips a later append with
 * the same app id and a batch id not above it, so a replayed micro-batch is stored once.
 *
 * @param appId   the same for every run of one stream and different for every other stream (the query id that the
 *                stream's checkpoint keeps; not the checkpoint location, which a new stream may reuse)
 * @param batchId the micro-batch id, increasing within the stream
 */
public record StreamBatch(String appId, long batchId) {
}
