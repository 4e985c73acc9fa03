package io.glinerspark.spark.task;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Reads a partition in blocks of at most {@code blockSize} rows, turns each block into output rows with one call
 * (so the model sees many rows per batch) and emits them in input order before reading the next block: a task
 * holds one block at a time, whatever the partition's size.
 *
 * @param <I> input row type
 * @param <O> output row type
 */
public final class BlockIterator<I, O> implements Iterator<O> {

    private final Iterator<I> input;
    private final int blockSize;
    private final UnaryOperator<I> retain;
    private final Function<List<I>, List<O>> processBlock;
    private Iterator<O> current = java.util.Collections.emptyIterator();

    /**
     * @param retain       makes an input row safe to hold after the input moved on (Spark operators reuse row
     *                     objects: internal rows must be copied); identity for rows that are fresh objects
     * @param processBlock turns a block into exactly one output row per input row, in order
     */
    public BlockIterator(Iterator<I> input, int blockSize, UnaryOperator<I> retain,
                         Function<List<I>, List<O>> processBlock) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("block size must be > 0, got " + blockSize);
        }
        this.input = input;
        this.blockSize = blockSize;
        this.retain = retain;
        this.processBlock = processBlock;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && input.hasNext()) {
            List<I> block = new ArrayList<>(blockSize);
            while (block.size() < blockSize && input.hasNext()) {
                block.add(retain.apply(input.next()));
            }
            List<O> output = processBlock.apply(block);
            if (output.size() != block.size()) {
                throw new IllegalStateException("a block of " + block.size() + " rows produced " + output.size());
            }
            current = output.iterator();
        }
        return current.hasNext();
    }

    @Override
    public O next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }
}
