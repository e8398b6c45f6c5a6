package io.zero4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.norm.Dropout;
import io.zero4j.model.lora.LoraAdapters;

/**
 * One linear map of a decoder layer: {@code x W^T + b} (weights stored {@code [out, in]} as in
 * PyTorch), plus a LoRA adapter's {@code (alpha / r) (dropout(x) A^T) B^T} when it has one; bias and
 * adapter may be null.
 */
record Projection(NDArray weight, NDArray bias, LoraAdapters.Adapter adapter) {

    /** {@code [B, T, in] -> [B, T, out]}; {@code lora} holds the adapter's settings (null without adapters). */
    NDArray apply(NDArray x, LoraAdapters lora) {
        NDArray y = linear(x, weight, bias);
        if (adapter == null) {
            return y;
        }
        NDArray in = lora.training() && lora.config().dropout() > 0
                ? Dropout.dropout(x, (float) lora.config().dropout(), true).singletonOrThrow() : x;
        NDArray low = in.matMul(adapter.a().transpose());                                       // [B, T, r]
        return y.add(low.matMul(adapter.b().transpose()).mul(lora.scalingArray()));              // [B, T, out]
    }

    static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        NDArray y = x.matMul(weight.transpose());
        return bias == null ? y : y.add(bias);
    }
}
