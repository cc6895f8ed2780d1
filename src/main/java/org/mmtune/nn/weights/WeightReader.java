package org.mmtune.nn.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * Reads the tensors of one weights format, in the file's own order, without running anything the file
 * contains. Names follow the source framework:
 * <ul>
 *   <li>PyTorch state dicts, safetensors, npz: the keys as stored (a {@code module.} prefix and a
 *       {@code state_dict}/{@code model} wrapper are removed by the reader);</li>
 *   <li>ONNX: the initializer names;</li>
 *   <li>Caffe: {@code <layer>.weight} and {@code <layer>.bias} for convolutions and inner products,
 *       {@code <layer>.running_mean} and {@code <layer>.running_var} for BatchNorm layers (already divided
 *       by Caffe's moving-average factor), {@code <layer>.weight} and {@code <layer>.bias} for Scale layers.</li>
 * </ul>
 * A file that is not of the format, truncated or unsafe is refused with an {@link IOException} whose
 * message is one line naming the file.
 */
public interface WeightReader {

    LinkedHashMap<String, SourceTensor> read(Path file) throws IOException;
}
