/**
 * Model sources: turns a model source string (a local folder, the model bundled in the jar, a Hadoop FileSystem URI
 * or a Hugging Face id) into a local folder holding the GLiNER bundle, with a per-machine cache that concurrent
 * threads and JVMs share safely. Entry point: {@link io.glinerspark.source.ModelSources}.
 *
 * <p>Hadoop classes are used only by {@code HadoopFolderSource}, which is loaded only when a Hadoop URI is resolved,
 * so local folders, the bundled model and Hugging Face ids work with no Hadoop on the classpath.
 */
package io.glinerspark.source;
