package io.onyxml.spark;

import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

import java.util.ArrayList;
import java.util.List;

/**
 * Scala's immutable sequences, which Spark's plans hold, from and to Java lists.
 */
public final class ScalaCollections
{
    private ScalaCollections() {}

    public static <T> Seq<T> seq(List<T> list)
    {
        return CollectionConverters.asScala(list).toSeq();
    }

    public static <T> List<T> list(scala.collection.Seq<T> seq)
    {
        return CollectionConverters.asJava(seq);
    }

    public static <T> Seq<T> concat(scala.collection.Seq<? extends T> first, scala.collection.Seq<? extends T> second)
    {
        List<T> all = new ArrayList<>(CollectionConverters.asJava(first));
        all.addAll(CollectionConverters.asJava(second));
        return seq(all);
    }
}
