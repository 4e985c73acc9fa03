/**
 * The values and errors that cross the engine's stages and reach its front ends: extracted entities, the token-level
 * score formula, and the exceptions of loading, labels and inference. Depends on nothing else of the project, so
 * every stage (encode, decode, runtime, bundle) can use them without depending on the engine above it.
 */
package io.glinerspark.types;
