/**
 * Image intake: header probing, limit checks before decoding, and decoding JPEG/PNG to 8-bit RGB.
 */
package io.streamtune.vision.image;
