package io.streamtune.ingest.bulk;

import io.streamtune.contracts.Box;
import io.streamtune.contracts.Label;
import io.streamtune.ingest.validate.RejectReason;
import io.streamtune.ingest.validate.SampleRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

/**
 * Pascal VOC: {@code Annotations/*.xml} naming images in {@code JPEGImages/}. Each {@code object}'s
 * {@code bndbox} becomes a box {@code x = xmin, y = ymin, width = xmax - xmin, height = ymax -
 * ymin}. XML is parsed with DTDs and external entities disabled.
 */
public final class VocReader {

    private VocReader() {}

    public static List<DatasetItem> read(Path root) throws DatasetFormatException {
        Path annotations =
                DatasetFiles.requireDirectory(
                        root.resolve("Annotations"), "VOC Annotations folder");
        Path images = root.resolve("JPEGImages");
        List<Path> xmls;
        try (Stream<Path> s = Files.list(annotations)) {
            xmls =
                    s.filter(
                                    p ->
                                            p.getFileName()
                                                    .toString()
                                                    .toLowerCase(java.util.Locale.ROOT)
                                                    .endsWith(".xml"))
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw new DatasetFormatException(
                    "cannot list " + annotations + ": " + e.getMessage(), e);
        }
        DocumentBuilder parser = parser();
        List<DatasetItem> items = new ArrayList<>();
        for (Path xml : xmls) {
            String source = DatasetFiles.relative(root, xml);
            try {
                Document doc = parser.parse(xml.toFile());
                String fileName = text(doc.getDocumentElement(), "filename");
                if (fileName == null) {
                    throw new SampleRejectedException(
                            RejectReason.MALFORMED_RECORD, "no <filename>");
                }
                Path image = DatasetFiles.inside(images, fileName);
                if (!Files.isRegularFile(image)) {
                    items.add(
                            DatasetItem.broken(
                                    source,
                                    image,
                                    RejectReason.MISSING_FILE,
                                    "image '" + fileName + "' not found in " + images));
                    continue;
                }
                items.add(DatasetItem.of(source, image, objects(doc)));
            } catch (SAXException | IOException e) {
                items.add(
                        DatasetItem.broken(
                                source,
                                null,
                                RejectReason.MALFORMED_RECORD,
                                "invalid VOC XML " + xml.getFileName() + ": " + e.getMessage()));
            } catch (SampleRejectedException e) {
                items.add(
                        DatasetItem.broken(
                                source,
                                null,
                                e.reason(),
                                xml.getFileName() + ": " + e.getMessage()));
            } finally {
                parser.reset();
            }
        }
        return items;
    }

    private static Label objects(Document doc) throws SampleRejectedException {
        NodeList nodes = doc.getElementsByTagName("object");
        List<Label.BoxedObject> objects = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element o = (Element) nodes.item(i);
            String name = text(o, "name");
            NodeList boxes = o.getElementsByTagName("bndbox");
            if (name == null || boxes.getLength() == 0) {
                throw new SampleRejectedException(
                        RejectReason.BAD_LABEL, "object " + i + " lacks <name> or <bndbox>");
            }
            Element b = (Element) boxes.item(0);
            try {
                double xmin = Double.parseDouble(text(b, "xmin"));
                double ymin = Double.parseDouble(text(b, "ymin"));
                double xmax = Double.parseDouble(text(b, "xmax"));
                double ymax = Double.parseDouble(text(b, "ymax"));
                objects.add(
                        new Label.BoxedObject(name, new Box(xmin, ymin, xmax - xmin, ymax - ymin)));
            } catch (NullPointerException | IllegalArgumentException e) {
                throw new SampleRejectedException(
                        RejectReason.BAD_LABEL,
                        "object " + i + " (" + name + ") has an invalid bndbox: " + e.getMessage());
            }
        }
        return new Label.BoxesLabel(objects);
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().strip();
    }

    private static DocumentBuilder parser() throws DatasetFormatException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b;
        } catch (ParserConfigurationException e) {
            throw new DatasetFormatException(
                    "no secure XML parser available: " + e.getMessage(), e);
        }
    }
}
