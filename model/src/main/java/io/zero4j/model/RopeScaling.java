package io.zero4j.model;

/**
 * Llama 3's RoPE frequency scaling ({@code rope_scaling} with {@code rope_type: "llama3"}): low
 * frequencies are divided by {@code factor}, high ones kept, and the band between interpolated.
 */
public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositionEmbeddings) {

    /** The inverse frequencies {@code 1 / theta^(2i/d)}, i in [0, d/2), rescaled per Llama 3. */
    public double[] apply(double[] invFreq) {
        double lowFreqWavelen = originalMaxPositionEmbeddings / lowFreqFactor;
        double highFreqWavelen = originalMaxPositionEmbeddings / highFreqFactor;
        double[] out = new double[invFreq.length];
        for (int i = 0; i < invFreq.length; i++) {
            double wavelen = 2 * Math.PI / invFreq[i];
            if (wavelen > lowFreqWavelen) {
                out[i] = invFreq[i] / factor;
            } else if (wavelen < highFreqWavelen) {
                out[i] = invFreq[i];
            } else {
                double smooth = (originalMaxPositionEmbeddings / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                out[i] = (1 - smooth) * invFreq[i] / factor + smooth * invFreq[i];
            }
        }
        return out;
    }
}
