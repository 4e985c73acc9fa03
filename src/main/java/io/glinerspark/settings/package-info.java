/**
 * The settings registry: every setting of every front end defined once ({@link io.glinerspark.settings.Settings}),
 * with its type, bounds, default and doc, the parser from text to typed values
 * ({@link io.glinerspark.settings.SettingValues}) whose errors name the setting and the value, and the command-line
 * form {@code --<name> value} ({@link io.glinerspark.settings.OptionArguments}). No Spark classes: the Spark front
 * ends adapt these settings to configuration keys, SQL options and Transformer parameters.
 */
package io.glinerspark.settings;
