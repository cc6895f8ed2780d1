package org.mmtune.data;

/** The on-disk layouts mmtune recognises. */
public enum DatasetFormat {
    /** PASCAL VOC 2012 (SegmentationClass palette PNGs or SegmentationClassAug). */
    VOC,
    /** Cityscapes (leftImg8bit + gtFine). */
    CITYSCAPES,
    /** CamVid in the SegNet layout. */
    CAMVID,
    /** ADE20K as the Scene Parsing benchmark ships it (ADEChallengeData2016: images/ + annotations/). */
    ADE20K,
    /** Any dataset described by a {@code dataset.json} descriptor. */
    DESCRIPTOR
}
