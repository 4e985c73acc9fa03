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
 * Streams a response body into a channel (a cache file, or memory for small JSON answers) and records when data last
 * arrived, so the waiting thread can abort a body that stalls: the JDK client times out only the wait for headers,
 * and a blocked read of its stream cannot be interrupted. The channel is closed however the body ends. The result is
 * the number of bytes written.
 */
final class ChannelBodySubscriber implements HttpResponse.BodySubscriber<Long> {

    private final WritableByteChannel channel;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private long written;
    private volatile long lastProgressNanos = System.nanoTime();

    ChannelBodySubscriber(WritableByteChannel channel) {
        this.channel = channel;
    }

    long lastProgressNanos() {
        return lastProgressNanos;
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
                while (buffer.hasRemaining()) {
                    written += channel.write(buffer);
                }
            }
        } catch (IOException e) {
            fail(e);
            return;
        }
        lastProgressNanos = System.nanoTime();
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
