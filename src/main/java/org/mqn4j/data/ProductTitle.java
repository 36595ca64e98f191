package org.mqn4j.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes the noisy e-commerce title of a synthetic sample. The rule it keeps:
 * <ul>
 *   <li>each named attribute's Chinese word ({@code 红色}, {@code 杯子}) appears in the title, outside
 *       any gift phrase; an attribute that is not named does not appear at all;</li>
 *   <li>no other category word appears; any other colour word appears only in a gift phrase
 *       {@code 送{colour}{gift_item}}, whose colour is never the target's (often a distractor's);</li>
 *   <li>the rest is noise: brands, promotion and style words, sizes and years, in varied templates,
 *       colour and category adjacent or apart, in either order; about 10% of titles name the target
 *       only after the 24th character; at most {@link #MAX_CHARS} characters.</li>
 * </ul>
 */
public final class ProductTitle {
    public static final int MAX_CHARS = 100;
    /** Titles whose first named word starts at or after this index count as "late". */
    public static final int LATE_INDEX = 24;
    public static final double LATE_FRACTION = 0.10;

    /** Noise beyond the vocabulary's list; none contains a colour or category word. */
    static final List<String> EXTRA_NOISE = List.of("ins风", "高颜值", "日系", "韩版", "轻奢", "新品上市", "品质保证",
            "厂家直销", "一件代发", "清仓", "买一送一", "顺丰包邮", "七天无理由", "精选", "百搭", "时尚", "潮流", "可定制",
            "原创设计", "复古", "小众", "商务", "户外", "儿童", "情侣款", "创意", "纯色", "大号", "小号", "迷你", "现货",
            "预售", "限量版", "抖音同款", "明星同款", "工厂店", "批发", "专柜", "防水", "耐磨", "透气", "轻便", "Pro", "plus");
    static final List<String> PROMO = List.of("【限时特价】", "【包邮】", "【官方正品】", "【新品】", "【爆款推荐】",
            "【第2件半价】", "【今日特惠】", "[热卖]", "【领券立减】", "【预售】");
    static final List<String> LETTER_SIZES = List.of("S", "M", "L", "XL", "XXL", "3XL", "均码", "大码", "加大码");

    /** A written title and the colours of its gift phrases (English names). */
    public record Title(String text, List<String> giftColours) {
    }

    private final Vocabulary vocab;

    public ProductTitle(Vocabulary vocab) {
        this.vocab = vocab;
    }

    /**
     * @param target       the target's colour and category
     * @param names        which of "color", "category" the title names (non-empty)
     * @param otherColours colours of the distractors (gift phrases prefer those different from the target)
     */
    public Title write(Vocabulary.Colour colour, Vocabulary.Category category, Set<String> names,
                       List<Vocabulary.Colour> otherColours, SynthRandom r) {
        boolean nameColour = names.contains("color");
        boolean nameCategory = names.contains("category");
        if (!nameColour && !nameCategory) {
            throw new IllegalArgumentException("a title must name the colour or the category");
        }
        List<String> gifts = new ArrayList<>();
        List<String> pre = new ArrayList<>();
        List<String> post = new ArrayList<>();
        String naming = naming(colour.zh(), category.zh(), nameColour, nameCategory, r);
        boolean late = r.chance(LATE_FRACTION);

        if (r.chance(0.75)) {
            pre.add(brand(r));
        }
        if (r.chance(0.25)) {
            pre.add(0, r.pick(PROMO));
        }
        int nGifts = r.weighted(0.5, 0.4, 0.1);
        for (int g = 0; g < nGifts; g++) {
            Vocabulary.Colour gc = giftColour(colour, otherColours, r);
            gifts.add(gc.en());
            String phrase = "送" + gc.zh() + r.pick(vocab.giftItems());
            if (r.chance(0.3)) {
                phrase = "【" + phrase + "】";
            }
            (r.chance(0.3) ? pre : post).add(phrase);
        }
        String sep = switch (r.weighted(0.5, 0.2, 0.3)) {
            case 0 -> " ";
            case 1 -> "";
            default -> null; // mixed, per junction
        };
        if (late) {
            // Without separators the prefix alone already reaches the late index.
            while (joinedLength(pre) - pre.size() < LATE_INDEX) {
                pre.add(noise(r));
            }
        } else {
            int extra = r.weighted(0.4, 0.35, 0.25);
            for (int i = 0; i < extra; i++) {
                pre.add(noise(r));
            }
            // joinedLength counts one separator per part: an upper bound of where the naming part starts.
            int leadIn = firstNamed(naming, nameColour ? colour.zh() : null, nameCategory ? category.zh() : null);
            while (!pre.isEmpty() && joinedLength(pre) + leadIn >= LATE_INDEX) {
                pre.remove(r.nextInt(pre.size()));
            }
        }
        int goal = switch (r.weighted(0.65, 0.28, 0.07)) {
            case 0 -> r.between(14, 55);
            case 1 -> r.between(55, 85);
            default -> r.between(85, MAX_CHARS);
        };
        int head = joinedLength(pre) + naming.length();
        while (head + joinedLength(post) + post.size() < goal && post.size() < 20) {
            post.add(r.nextInt(post.size() + 1), noise(r));
        }
        if (r.chance(0.1) && !post.isEmpty()) {
            // Sellers repeat keywords: the named colour or category once more, further on.
            String again = nameColour && (!nameCategory || r.chance(0.5)) ? colour.zh() + r.pick(List.of("", "款", "系"))
                    : category.zh();
            post.add(1 + r.nextInt(post.size()), again);
        }
        List<String> parts = new ArrayList<>(pre);
        parts.add(naming);
        parts.addAll(post);
        String text = join(parts, sep, r);
        while (text.length() > MAX_CHARS && !post.isEmpty()) {
            post.remove(post.size() - 1);
            parts = new ArrayList<>(pre);
            parts.add(naming);
            parts.addAll(post);
            text = join(parts, sep, r);
        }
        // Gifts removed by trimming no longer count.
        List<String> kept = new ArrayList<>();
        for (String g : gifts) {
            String phrase = "送" + vocab.colour(g).zh();
            int inText = text.split(phrase, -1).length - 1;
            if (kept.stream().filter(g::equals).count() < inText) {
                kept.add(g);
            }
        }
        return new Title(text, List.copyOf(kept));
    }

    /** The part that names the target: colour and/or category in one of several templates. */
    private String naming(String c, String k, boolean nameColour, boolean nameCategory, SynthRandom r) {
        if (nameColour && nameCategory) {
            return switch (r.weighted(3, 1, 1, 1, 0.7, 0.7, 0.6, 0.6, 0.5, 2.2, 1.5)) {
                case 0 -> c + k;
                case 1 -> c + "的" + k;
                case 2 -> c + " " + k;
                case 3 -> c + "款" + k;
                case 4 -> k + " " + c;
                case 5 -> k + c + "款";
                case 6 -> k + "（" + c + "）";
                case 7 -> k + "-" + c;
                case 8 -> k + " 颜色:" + c;
                case 9 -> c + " " + between(r) + " " + k;
                default -> k + " " + between(r) + " " + c + (r.chance(0.5) ? "款" : "");
            };
        }
        if (nameColour) {
            return switch (r.weighted(3, 1, 1, 1, 0.5)) {
                case 0 -> c;
                case 1 -> c + "款";
                case 2 -> c + "系";
                case 3 -> "颜色:" + c;
                default -> c + "限定";
            };
        }
        return switch (r.weighted(3, 1, 1)) {
            case 0 -> k;
            case 1 -> noise(r) + k;
            default -> k + r.pick(List.of("一个", "1只", "单品", "套装"));
        };
    }

    /** One to three noise words put between colour and category. */
    private String between(SynthRandom r) {
        int n = r.between(1, 3);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 && r.chance(0.5) ? " " : "").append(noise(r));
        }
        return sb.toString();
    }

    private String brand(SynthRandom r) {
        String b = r.pick(vocab.brands());
        return switch (r.weighted(4, 1, 1, 1)) {
            case 0 -> b;
            case 1 -> b + "旗舰店";
            case 2 -> "【" + b + "】";
            default -> b + r.pick(List.of("官方店", "自营", "家居", "生活馆"));
        };
    }

    /** A noise word, size or year. */
    private String noise(SynthRandom r) {
        return switch (r.weighted(5, 3, 2)) {
            case 0 -> r.pick(vocab.noiseWords());
            case 1 -> r.pick(EXTRA_NOISE);
            default -> size(r);
        };
    }

    private static String size(SynthRandom r) {
        return switch (r.nextInt(9)) {
            case 0 -> (50 * r.between(4, 24)) + "ml";
            case 1 -> r.pick(List.of("1L", "1.5L", "2L", "3L", "0.5L"));
            case 2 -> r.pick(LETTER_SIZES);
            case 3 -> r.between(34, 45) + "码";
            case 4 -> r.between(2019, 2026) + "年";
            case 5 -> r.between(2023, 2026) + "新款";
            case 6 -> r.between(8, 60) + "cm";
            case 7 -> r.between(12, 28) + "寸";
            default -> r.between(1, 12) + r.pick(List.of("个装", "只装", "件套", "支装"));
        };
    }

    private Vocabulary.Colour giftColour(Vocabulary.Colour target, List<Vocabulary.Colour> others, SynthRandom r) {
        List<Vocabulary.Colour> distractorColours = others.stream().filter(c -> !c.equals(target)).toList();
        if (!distractorColours.isEmpty() && r.chance(0.6)) {
            return r.pick(distractorColours);
        }
        List<Vocabulary.Colour> any = vocab.colours().stream().filter(c -> !c.equals(target)).toList();
        return r.pick(any);
    }

    /** Index in {@code text} of the first of the given words (null = not named). */
    static int firstNamed(String text, String colourZh, String categoryZh) {
        int i = colourZh == null ? Integer.MAX_VALUE : text.indexOf(colourZh);
        int j = categoryZh == null ? Integer.MAX_VALUE : text.indexOf(categoryZh);
        return Math.min(i < 0 ? Integer.MAX_VALUE : i, j < 0 ? Integer.MAX_VALUE : j);
    }

    private static int joinedLength(List<String> parts) {
        int n = 0;
        for (String p : parts) {
            n += p.length() + 1;
        }
        return n;
    }

    private static String join(List<String> parts, String sep, SynthRandom r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sb.append(sep != null ? sep : (r.chance(0.5) ? " " : ""));
            }
            sb.append(parts.get(i));
        }
        return sb.toString().strip();
    }
}
