package io.glinerspark.source;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Streams a response body into a channel (a cache file, or memory for small JSON answers), refusing more than a
 * given number of bytes, and records when the body last made progress, so the waiting thread can abort a body that
 * stalls or trickles: the JDK client times out only the wait for headers, and a blocked read of its stream cannot be
 * interrupted. Progress is {@value #PROGRESS_BYTES} bytes (or the end of the body): a body that sends a byte now and
 * then never counts as moving. The channel is closed however the body ends. The result is the number of bytes written.
 */
final class ChannelBodySubscriber implements HttpResponse.BodySubscriber<Long> {

    /** Bytes that count as progress; a body slower than this per hub timeout is aborted. */
    static final int PROGRESS_BYTES = 64 * 1024;

    /** The body is longer than the caller allowed. */
    static final class TooLongException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLongException(String message) {
            super(message);
        }
    }

    private final WritableByteChannel channel;
    private final long limit;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long written;
    private long sinceProgress;
    private volatile long lastProgressNanos = System.nanoTime();
    private volatile long lastDataNanos = lastProgressNanos;

    /** A subscriber that writes at most {@code limit} bytes to {@code channel} and fails on the next one. */
    ChannelBodySubscriber(WritableByteChannel channel, long limit) {
        this.channel = channel;
        this.limit = limit;
    }

    long lastProgressNanos() {
        return lastProgressNanos;
    }

    /** When any bytes last arrived. */
    long lastDataNanos() {
        return lastDataNanos;
    }

    /** Bytes received since the body last made progress. */
    synchronized long bytesSinceProgress() {
        return sinceProgress;
    }

    /** Stops the download from outside: cancels the exchange, closes the channel and fails the result. */
    synchronized void abort(Throwable cause) {
        fail(cause);
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
        if (result.isDone()) {
            s.cancel();
            return;
        }
        subscription = s;
        s.request(1);
    }

    @Override
    public synchronized void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        try {
            for (ByteBuffer buffer : buffers) {
                if (buffer.remaining() > limit - written) {
                    throw new TooLongException("the body is longer than the " + limit + " bytes expected");
                }
                while (buffer.hasRemaining()) {
                    int n = channel.write(buffer);
                    written += n;
                    sinceProgress += n;
                }
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        long now = System.nanoTime();
        lastDataNanos = now;
        if (sinceProgress >= PROGRESS_BYTES) {
            sinceProgress = 0;
            lastProgressNanos = now;
        }
        subscription.request(1);
    }

    @Override
    public synchronized void onError(Throwable error) {
        fail(error);
    }

    @Override
    public synchronized void onComplete() {
        if (result.isDone()) {
            return;
        }
        try {
            channel.close();
            result.complete(written);
        } catch (IOException e) {
            result.completeExceptionally(e);
        }
    }

    @Override
    public CompletionStage<Long> getBody() {
        return result;
    }

    private void fail(Throwable cause) {
        if (result.isDone()) {
            return;
        }
        if (subscription != null) {
            subscription.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
        result.completeExceptionally(cause);
    }
}
