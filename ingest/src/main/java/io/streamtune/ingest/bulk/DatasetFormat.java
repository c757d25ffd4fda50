package io.streamtune.ingest.bulk;

/** Dataset layouts the importer reads. */
public enum DatasetFormat {
    /** {@code root/<class>/<image>}: classification. */
    IMAGEFOLDER,
    /** COCO JSON: boxes, polygons and RLE masks. */
    COCO,
    /**
     * YOLO txt: {@code images/} + {@code labels/}, detect or segment-polygon lines, names in
     * classes.txt or data.yaml.
     */
    YOLO,
    /** Pascal VOC: {@code Annotations/*.xml} + {@code JPEGImages/}. */
    VOC,
    /**
     * {@code images/} + {@code masks/} (8-bit grey or palette PNG, value = class index, 255 =
     * ignore) + classes.txt.
     */
    MASKS,
    /**
     * Label Studio's JSON export ({@code --annotations}) with the images under {@code --path}:
     * choices, rectangles, polygons.
     */
    LABELSTUDIO
}
