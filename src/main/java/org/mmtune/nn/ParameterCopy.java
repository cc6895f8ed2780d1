package org.mmtune.nn;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;

/** Loads saved parameters into a fresh block of the same architecture, then copies them into a live one. */
final class ParameterCopy {

    private ParameterCopy() {
    }

    static void loadInto(Block target, Block scratch, DataInputStream in) throws IOException {
        if (!target.isInitialized()) {
            throw new IllegalStateException("initialise the network before loading parameters");
        }
        try (NDManager tmp = NDManager.newBaseManager()) {
            try {
                scratch.loadParameters(tmp, in);
            } catch (MalformedModelException | RuntimeException e) {
                throw new IOException("checkpoint does not fit the network: " + e.getMessage(), e);
            }
            List<Pair<String, Parameter>> dst = new java.util.ArrayList<>(target.getParameters().stream().toList());
            List<Pair<String, Parameter>> src = new java.util.ArrayList<>(scratch.getParameters().stream().toList());
            if (dst.size() != src.size()) {
                throw new IOException("checkpoint does not fit the network: " + src.size()
                        + " parameters, expected " + dst.size());
            }
            for (int i = 0; i < dst.size(); i++) {
                NDArray d = dst.get(i).getValue().getArray();
                NDArray s = src.get(i).getValue().getArray();
                if (!d.getShape().equals(s.getShape())) {
                    throw new IOException("checkpoint does not fit the network: parameter " + dst.get(i).getKey()
                            + " has shape " + s.getShape() + ", expected " + d.getShape());
                }
                d.set(s.toType(d.getDataType(), false).toByteBuffer());
            }
        }
    }
}
