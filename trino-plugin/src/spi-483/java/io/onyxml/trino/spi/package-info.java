/**
 * Everything in the Onyx connector that differs between the Trino SPI lines it is built for. Each line has its own copy
 * of this package, with the same classes and methods ({@code src/spi-476} and {@code src/spi-483}); the rest of the
 * plugin is shared and compiles against either line through it.
 */
package io.onyxml.trino.spi;
