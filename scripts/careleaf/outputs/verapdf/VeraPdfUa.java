// veraPDF's PDF/UA-1 validation of each PDF named on the command line (careleaf/outputs/verapdf/__init__.py runs it).
// Prints, per file: FILE <tab> path <tab> pass|fail|error <tab> checks made; then per failed rule:
// RULE <tab> clause-test <tab> failed checks <tab> description <tab> where the first failure is.
import java.io.FileInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

public class VeraPdfUa {
    public static void main(String[] args) throws Exception {
        VeraGreenfieldFoundryProvider.initialise();
        PDFAFlavour flavour = PDFAFlavour.PDFUA_1;
        for (String path : args) {
            try (InputStream in = new FileInputStream(path);
                 PDFAParser parser = Foundries.defaultInstance().createParser(in, flavour);
                 PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
                ValidationResult result = validator.validate(parser);
                Map<String, int[]> counts = new TreeMap<>();
                Map<String, String> firsts = new TreeMap<>();
                for (TestAssertion assertion : result.getTestAssertions()) {
                    if (assertion.getStatus() != TestAssertion.Status.FAILED) continue;
                    String rule = assertion.getRuleId().getClause() + "-" + assertion.getRuleId().getTestNumber();
                    counts.computeIfAbsent(rule, k -> new int[1])[0]++;
                    firsts.putIfAbsent(rule, clean(assertion.getMessage()) + "\t" + clean(assertion.getLocation().getContext()));
                }
                System.out.println("FILE\t" + path + "\t" + (result.isCompliant() ? "pass" : "fail") + "\t" + result.getTotalAssertions());
                for (Map.Entry<String, int[]> entry : counts.entrySet()) {
                    System.out.println("RULE\t" + entry.getKey() + "\t" + entry.getValue()[0] + "\t" + firsts.get(entry.getKey()));
                }
            } catch (Exception error) {
                System.out.println("FILE\t" + path + "\terror\t0");
                System.out.println("ERROR\t" + clean(String.valueOf(error)));
            }
        }
    }

    private static String clean(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}
