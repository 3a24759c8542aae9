import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Helm's own lint and template, through helm-java (Helm's Go code as a native library), for machines without a helm
 * binary. Run by check-chart.mjs as a single-file program:
 *   java -cp '<jars>/*' HelmChart.java lint <chart>
 *   java -cp '<jars>/*' HelmChart.java template <chart> <kubeVersion> <release> <namespace> [values.yaml…]
 * lint exits 1 on any error or warning (strict); template prints the rendered manifests on stdout.
 */
public class HelmChart {
  public static void main(String[] args) {
    try {
      run(args);
    } catch (IllegalStateException e) {
      // Helm's own message (a template or values-schema error), without the Java stack.
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }

  private static void run(String[] args) {
    if (args.length < 2) usage();
    Path chart = Paths.get(args[1]);
    switch (args[0]) {
      case "lint" -> {
        // helm-java's lint takes no values files: the chart's own values.yaml is linted; the other profiles are
        // covered by rendering them (template) and validating every manifest.
        LintResult result = new Helm(chart).lint().strict().call();
        result.getMessages().forEach(System.err::println);
        System.exit(result.isFailed() ? 1 : 0);
      }
      case "template" -> {
        if (args.length < 5) usage();
        TemplateCommand template = new Helm(chart).template()
            .withKubeVersion(args[2])
            .withName(args[3])
            .withNamespace(args[4]);
        for (int i = 5; i < args.length; i++) template.withValuesFile(Paths.get(args[i]));
        System.out.print(template.call());
      }
      default -> usage();
    }
  }

  private static void usage() {
    System.err.println("usage: HelmChart lint <chart> | template <chart> <kubeVersion> <release> <namespace> [values…]");
    System.exit(2);
  }
}
