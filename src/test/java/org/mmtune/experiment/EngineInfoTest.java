package org.mmtune.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the run log, {@code bench train} and the status bar say about the engine (surefire runs with AVX). */
class EngineInfoTest {

    @Test
    void namesVersionsFlavourDevicesAndTheIsaWithItsReason() {
        EngineInfo info = EngineInfo.current();
        assertThat(info.headline()).startsWith("mmtune " + EngineInfo.version() + ", DJL 0.36.0, libtorch 2.7.1 (cpu build), ");
        assertThat(EngineInfo.version()).isNotEqualTo("dev").matches("\\d+\\.\\d+\\.\\d+.*");
        assertThat(info.devicesLine(List.of(Device.cpu()))).isEqualTo("devices: cpu (" + info.threads() + " threads)");
        assertThat(info.isaLine()).isEqualTo("oneDNN ISA AVX (ONEDNN_MAX_CPU_ISA set in the environment)");
        assertThat(info.brief()).contains("libtorch 2.7.1 cpu").contains("oneDNN AVX, your ONEDNN_MAX_CPU_ISA");
        assertThat(info.lines(List.of(Device.cpu()))).hasSize(4);
        assertThat(info.libraryLine()).startsWith("libtorch from ").contains("2.7.1");
    }

    @Test
    void autoEndingOnTheCpuSaysSoInOneLine() {
        EngineInfo info = EngineInfo.current();
        if (info.gpus() > 0) {
            return;
        }
        assertThat(info.autoOnCpu("auto", List.of(Device.cpu()))).hasValueSatisfying(l -> assertThat(l)
                .startsWith("device auto: running on the CPU: ").doesNotContain("\n"));
        assertThat(info.autoOnCpu(null, List.of(Device.cpu()))).isPresent();
        assertThat(info.autoOnCpu("cpu", List.of(Device.cpu()))).isEmpty();
    }
}
