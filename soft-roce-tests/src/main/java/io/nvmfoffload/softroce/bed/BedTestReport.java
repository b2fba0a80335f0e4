package io.nvmfoffload.softroce.bed;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the JUnit XML reports that the console launcher wrote inside the bed. */
public final class BedTestReport {
    private BedTestReport() {}

    /** Every test case of every {@code TEST-*.xml} under {@code reportsDir}; empty when there is none. */
    public static List<BedTestResult> read(Path reportsDir) throws IOException {
        List<BedTestResult> results = new ArrayList<>();
        if (!Files.isDirectory(reportsDir)) {
            return results;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(reportsDir)) {
            files = list.filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml")).sorted().toList();
        }
        for (Path file : files) {
            results.addAll(parse(file));
        }
        return results;
    }

    static List<BedTestResult> parse(Path file) throws IOException {
        Document doc;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            doc = factory.newDocumentBuilder().parse(file.toFile());
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException("the bed's test report " + file + " is not readable XML: " + e.getMessage(), e);
        }
        List<BedTestResult> results = new ArrayList<>();
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element tc = (Element) cases.item(i);
            BedTestResult.Outcome outcome = BedTestResult.Outcome.PASSED;
            String message = "";
            String detail = "";
            for (String tag : List.of("failure", "error", "skipped")) {
                NodeList found = tc.getElementsByTagName(tag);
                if (found.getLength() > 0) {
                    Element e = (Element) found.item(0);
                    outcome = switch (tag) {
                        case "failure" -> BedTestResult.Outcome.FAILED;
                        case "error" -> BedTestResult.Outcome.ERROR;
                        default -> BedTestResult.Outcome.SKIPPED;
                    };
                    message = e.getAttribute("message");
                    detail = e.getTextContent().strip();
                    break;
                }
            }
            double seconds = tc.getAttribute("time").isEmpty() ? 0 : Double.parseDouble(tc.getAttribute("time"));
            results.add(new BedTestResult(tc.getAttribute("classname"), tc.getAttribute("name"), outcome, message, detail, seconds));
        }
        return results;
    }
}
