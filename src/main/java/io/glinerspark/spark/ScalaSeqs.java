package io.glinerspark.spark;

import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.util.List;

/** Conversions between Java lists and the immutable Scala sequences of Catalyst's plan and expression API. */
public final class ScalaSeqs {

    private ScalaSeqs() {
    }

    /** An immutable Scala sequence of {@code list}'s elements, in order. */
    public static <T> Seq<T> of(List<T> list) {
        return CollectionConverters.asScala(list).toSeq();
    }

    /** A Java view of {@code seq}. */
    public static <T> List<T> list(scala.collection.Seq<T> seq) {
        return CollectionConverters.asJava(seq);
    }
}
