package dev.netsym.render;

import dev.netsym.proof.ParameterClass;
import dev.netsym.proof.TrainingSimulation;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.Size2D;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The picture of {@code netsym simulate}: beside each other, the run from the spec's
 * initialisation and the run from a random one, each with every parameter's trajectory above
 * (coloured by its proven class as in the LaTeX and DOT pictures, frozen ones grey and dashed)
 * and the loss below; one legend by class for both. Drawn by JFreeChart, as SVG or PNG.
 */
public final class TrajectoryChart {
    private static final int WIDTH = 1400;
    private static final int HEIGHT = 820;
    private static final int MARGIN = 16;
    /** Legend entries for classes that move; past these, one entry says how many more there are. */
    private static final int LEGEND_CLASSES = 11;
    /** Members named in a legend entry before "…". */
    private static final int LEGEND_MEMBERS = 4;
    private static final String FONT = "SansSerif";
    private static final Stroke SOLID = new BasicStroke(1.6f);
    private static final Stroke DASHED = new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f,
            new float[] {6f, 4f}, 0f);
    private static final Color LOSS = new Color(0x222222);

    private final TrainingSimulation.Result result;
    private final String name;
    private final ClassColours colours;
    /** Where each drawn parameter's values are in a run. */
    private final java.util.Map<String, Integer> drawnIndex = new java.util.HashMap<>();

    /** @param name what the title calls the network: its name or file */
    public TrajectoryChart(TrainingSimulation.Result result, String name) {
        this.result = result;
        this.name = name;
        for (int i = 0; i < result.drawn().size(); i++) drawnIndex.put(result.drawn().get(i), i);
        this.colours = ClassColours.of(result.proof());
    }

    /** The picture as an SVG document. */
    public String svg() {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        // A hundredth of a pixel is plenty, and a fixed prefix keeps the same run's file the same.
        g.setGeomDoubleConverter(TrajectoryChart::hundredths);
        g.setDefsKeyPrefix("netsym");
        draw(g);
        return g.getSVGDocument();
    }

    private static String hundredths(double value) {
        return BigDecimal.valueOf(Math.round(value * 100), 2).stripTrailingZeros().toPlainString();
    }

    /** The picture as PNG bytes. */
    public byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        draw(g);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChartUtils.writeBufferedImageAsPNG(bytes, image);
        return bytes.toByteArray();
    }

    /** Title on top, legend at the bottom, the two runs side by side between them. */
    private void draw(Graphics2D g) {
        g.setPaint(Color.WHITE);
        g.fill(new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
        TextTitle title = new TextTitle(title(), new Font(FONT, Font.BOLD, 18));
        Size2D titleSize = title.arrange(g, new RectangleConstraint(new Range(0, WIDTH - 2 * MARGIN), new Range(0, HEIGHT / 3.0)));
        title.draw(g, new Rectangle2D.Double(MARGIN, MARGIN / 2.0, WIDTH - 2 * MARGIN, titleSize.height));
        LegendTitle legend = new LegendTitle(this::legendItems);
        legend.setItemFont(new Font(FONT, Font.PLAIN, 13));
        Size2D legendSize = legend.arrange(g, new RectangleConstraint(new Range(0, WIDTH - 2 * MARGIN), new Range(0, HEIGHT / 3.0)));
        double legendTop = HEIGHT - MARGIN / 2.0 - legendSize.height;
        legend.draw(g, new Rectangle2D.Double((WIDTH - legendSize.width) / 2, legendTop, legendSize.width,
                legendSize.height));
        double top = MARGIN / 2.0 + titleSize.height + 4;
        double height = legendTop - 4 - top;
        double width = (WIDTH - MARGIN) / 2.0;
        chart(result.fromSpec(), "From the spec's initialisation: " + SimulationSummary.specStart(result))
                .draw(g, new Rectangle2D.Double(MARGIN / 2.0, top, width, height));
        chart(result.fromRandom(), "From a random initialisation: every parameter from "
                + SimulationSummary.deviation(result))
                .draw(g, new Rectangle2D.Double(MARGIN / 2.0 + width, top, width, height));
    }

    private String title() {
        TrainingSimulation.Settings s = result.settings();
        String data = result.specData() ? "the spec's " + SimulationSummary.plural(result.sampleCount(), "data sample")
                : SimulationSummary.plural(result.sampleCount(), "random sample") + " (seed " + s.seed() + ")";
        return name + ": " + SimulationSummary.plural(s.steps(), "step") + " of " + result.optimiser() + ", η = "
                + NumberText.approximate(s.learningRate()) + ", on " + data;
    }

    private JFreeChart chart(TrainingSimulation.Run run, String heading) {
        XYSeriesCollection parameters = new XYSeriesCollection();
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, false);
        // One path per parameter, not one element per segment: an SVG a tenth of the size.
        lines.setDrawSeriesLineAsPath(true);
        // Frozen classes first, so that the classes that move are drawn over them.
        List<ParameterClass> order = new ArrayList<>(result.proof().classes().stream().filter(ParameterClass::frozen).toList());
        order.addAll(result.proof().classes().stream().filter(c -> !c.frozen()).toList());
        for (ParameterClass c : order) {
            Color colour = Color.decode(colours.ofClass(c).hashHex());
            for (String member : c.members()) {
                int index = drawnIndex.getOrDefault(member, -1);
                if (index < 0) continue;
                XYSeries series = new XYSeries(member, false, true);
                for (int k = 0; k < run.steps().length; k++) series.add(run.steps()[k], run.values()[k][index]);
                int s = parameters.getSeriesCount();
                parameters.addSeries(series);
                lines.setSeriesPaint(s, colour);
                lines.setSeriesStroke(s, c.frozen() ? DASHED : SOLID);
            }
        }
        XYPlot parameterPlot = new XYPlot(parameters, null, axis("parameter value"), lines);

        XYSeries lossSeries = new XYSeries("loss", false, true);
        for (int k = 0; k < run.steps().length; k++) lossSeries.add(run.steps()[k], run.loss()[k]);
        XYLineAndShapeRenderer lossLine = new XYLineAndShapeRenderer(true, false);
        lossLine.setSeriesPaint(0, LOSS);
        lossLine.setSeriesStroke(0, new BasicStroke(2f));
        XYPlot lossPlot = new XYPlot(new XYSeriesCollection(lossSeries), null, axis("loss"), lossLine);

        NumberAxis steps = axis("step");
        steps.setRange(new Range(0, Math.max(1, result.settings().steps())));
        steps.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(steps);
        plot.setGap(14);
        plot.add(parameterPlot, 3);
        plot.add(lossPlot, 1);
        for (XYPlot p : List.of(parameterPlot, lossPlot)) {
            p.setBackgroundPaint(Color.WHITE);
            p.setDomainGridlinePaint(new Color(0xDDDDDD));
            p.setRangeGridlinePaint(new Color(0xDDDDDD));
            p.setOutlinePaint(new Color(0x888888));
        }
        String subtitle = run.stopReason() == null ? heading : heading + " (stopped: " + run.stopReason() + ")";
        JFreeChart chart = new JFreeChart(null, null, plot, false);
        chart.addSubtitle(new TextTitle(subtitle, new Font(FONT, Font.PLAIN, 14)));
        chart.setBackgroundPaint(Color.WHITE);
        // Room on the right for the last step's tick label.
        chart.setPadding(new RectangleInsets(4, 4, 4, 16));
        return chart;
    }

    private static NumberAxis axis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setLabelFont(new Font(FONT, Font.PLAIN, 14));
        axis.setTickLabelFont(new Font(FONT, Font.PLAIN, 12));
        axis.setAutoRangeIncludesZero(false);
        return axis;
    }

    /** One entry per class that moves (the first few), one for all frozen parameters, one for the loss. */
    private LegendItemCollection legendItems() {
        LegendItemCollection items = new LegendItemCollection();
        List<ParameterClass> moving = result.proof().classes().stream().filter(c -> !c.frozen()).toList();
        for (ParameterClass c : moving.subList(0, Math.min(LEGEND_CLASSES, moving.size()))) {
            String label = c.symbol() + ": " + members(c.signedMembers());
            items.add(lineItem(label, Color.decode(colours.ofClass(c).hashHex()), SOLID));
        }
        if (moving.size() > LEGEND_CLASSES) {
            items.add(lineItem("… " + SimulationSummary.plural(moving.size() - LEGEND_CLASSES, "more class") + " (colours repeat)",
                    Color.WHITE, SOLID));
        }
        List<String> frozen = result.proof().frozen();
        if (!frozen.isEmpty()) {
            items.add(lineItem("frozen: " + members(frozen), Color.decode(ClassColours.FROZEN.hashHex()), DASHED));
        }
        items.add(lineItem("loss (mean objective)", LOSS, new BasicStroke(2f)));
        return items;
    }

    private static String members(List<String> names) {
        if (names.size() <= LEGEND_MEMBERS) return String.join(", ", names);
        return String.join(", ", names.subList(0, LEGEND_MEMBERS - 1)) + ", … (" + names.size() + ")";
    }

    private static LegendItem lineItem(String label, Color colour, Stroke stroke) {
        return new LegendItem(label, null, null, null, new Line2D.Double(-10, 0, 10, 0), stroke, colour);
    }
}
