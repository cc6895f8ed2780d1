package org.mmtune.data;

/**
 * A decoded 8-bit RGB image: interleaved R,G,B, row-major ({@code 3*width*height} bytes).
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (rgb.length != 3 * width * height) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, expected " + 3 * width * height);
        }
    }
}
