package io.glinerspark.spark;

import io.glinerspark.types.Entity;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * The Spark type of an entities column, {@code array<struct<text:string,label:string,start:int,end:int,score:float>>},
 * and the conversion of core {@link Entity} lists into it (external rows, for Datasets).
 * Offsets are Unicode code points, as in the core engine.
 */
public final class EntitySchema {

    /**
     * One entity. Fields are declared nullable although never NULL: Delta rejects NOT NULL inside arrays, and one
     * declared type for every path (Dataset, SQL, tables) avoids schema mismatches between them.
     */
    public static final StructType ENTITY = new StructType(new StructField[]{
            DataTypes.createStructField("text", DataTypes.StringType, true),
            DataTypes.createStructField("label", DataTypes.StringType, true),
            DataTypes.createStructField("start", DataTypes.IntegerType, true),
            DataTypes.createStructField("end", DataTypes.IntegerType, true),
            DataTypes.createStructField("score", DataTypes.FloatType, true)});

    /** The entities of one text. */
    public static final ArrayType ENTITIES = DataTypes.createArrayType(ENTITY, true);

    private EntitySchema() {
    }

    /** External rows, as a Java array (what {@code Encoders.row} accepts for an array field). */
    public static Row[] toRows(List<Entity> entities) {
        Row[] rows = new Row[entities.size()];
        for (int i = 0; i < rows.length; i++) {
            Entity e = entities.get(i);
            rows[i] = RowFactory.create(e.text(), e.label(), e.start(), e.end(), e.score());
        }
        return rows;
    }
}
