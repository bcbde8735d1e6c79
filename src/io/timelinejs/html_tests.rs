//! Tests of [`super`]: HTML reduced to its text, the tokenizer's way and
//! the quick way for bare tags.

use super::text_of_html as t;

#[test]
fn text_without_tags_is_its_words_apart_by_one_space() {
    const PARTS: [&str; 9] = [" ", "  ", "\n", "\t", "\u{a0}", "word", "é", "a b", "x"];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..5_000 {
        let mut text = String::new();
        for _ in 0..(seed % 10) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(PARTS[(seed % PARTS.len() as u64) as usize]);
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let words: Vec<&str> = text
            .split(super::is_html_space)
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(t(&text), words.join(" "), "{text:?}");
    }
}

#[test]
fn simple_html_reads_as_the_tokenizer_reads_it() {
    const PARTS: [&str; 34] = [
        "<p>",
        "</p>",
        "<b>",
        "</b>",
        "<br>",
        "</br>",
        "<li>",
        "</li>",
        "<ul>",
        "</ul>",
        "<ol>",
        "</ol>",
        "<pre>",
        "</pre>",
        "<td>",
        "<tr>",
        "<table>",
        "<BLOCKQUOTE>",
        "</Blockquote>",
        "</div>",
        "<h2>",
        "<img>",
        " ",
        "\n",
        "\t ",
        "word",
        "a b",
        "“q” — é",
        "x<y",
        "<3",
        "< p>",
        "<script>",
        "&amp;",
        "<p class=x>",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut simple = 0;
    for _ in 0..20_000 {
        let mut html = String::new();
        for _ in 0..(seed % 12) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            html.push_str(PARTS[(seed % PARTS.len() as u64) as usize]);
        }
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        if let Some(text) = super::simple_text(&html) {
            simple += 1;
            assert_eq!(text, super::tokenized_text(&html), "{html:?}");
        }
    }
    // Both kinds were met.
    assert!((1_000..19_000).contains(&simple), "{simple}");
    assert_eq!(super::simple_text("a<script>b</script>"), None);
    assert_eq!(super::simple_text("a &amp; b"), None);
    assert_eq!(
        super::simple_text("<p>a</p><p>b</p>").as_deref(),
        Some("a\n\nb")
    );
}

#[test]
fn paragraphs_lines_and_spaces() {
    assert_eq!(
        t("<p>Hello <b>world</b> &amp; <a href='x'>you</a></p><p>Two</p>"),
        "Hello world & you\n\nTwo"
    );
    assert_eq!(
        t("Line one<br>line two<br/><br/>para"),
        "Line one\nline two\n\npara"
    );
    assert_eq!(
        t("<h2>Head</h2>text <span>in  span</span>\n  more"),
        "Head\n\ntext in span more"
    );
    assert_eq!(t("<div>a</div><div>b</div>c"), "a\nb\nc");
    assert_eq!(t("<p>x</p>\n\n<p>y</p>"), "x\n\ny");
    assert_eq!(t("<p>unclosed <b>bold<p>next"), "unclosed bold\n\nnext");
    assert_eq!(t("<hr>after rule"), "after rule");
    assert_eq!(t("a<br>  b"), "a\nb");
}

#[test]
fn quotes_keep_their_citation_apart() {
    assert_eq!(
        t(
            "<blockquote><p>Item 729: talks.</p><p>— <cite>Outlet 1</cite>, “Article 1”, February 11, 2023</p></blockquote><blockquote><p>Item 2415.</p></blockquote>"
        ),
        "Item 729: talks.\n\n— Outlet 1, “Article 1”, February 11, 2023\n\nItem 2415."
    );
}

#[test]
fn references_are_decoded_and_nbsp_kept() {
    assert_eq!(
        t("&lt;tag&gt; &quot;q&quot; &#169; &eacute; x&nbsp;&nbsp;y"),
        "<tag> \"q\" © é x\u{a0}\u{a0}y"
    );
}

#[test]
fn lists_tables_and_images() {
    assert_eq!(
        t("<ul><li>one</li><li>two <i>it</i></li></ul><ol><li>first</li><li>second</li></ol>after"),
        "• one\n• two it\n\n1. first\n2. second\n\nafter"
    );
    assert_eq!(t("<ul><li>a<ul><li>b</li></ul></li></ul>"), "• a\n  • b");
    assert_eq!(
        t("<table><tr><td>a</td><td>b</td></tr><tr><th>c</th><td>d</td></tr></table>"),
        "a | b\nc | d"
    );
    assert_eq!(
        t("a <!-- comment --> b <img src='x' alt='pic'> c"),
        "a b pic c"
    );
}

#[test]
fn deep_lists_indent_no_further_than_the_bound() {
    let deep = format!(
        "{}{}",
        "<ul><li>x".repeat(20_000),
        "</li></ul>".repeat(20_000)
    );
    let text = t(&deep);
    assert_eq!(text.lines().count(), 20_000);
    let widest = text.lines().map(str::len).max().unwrap_or(0);
    assert_eq!(widest, 2 * super::MAX_INDENT + "• x".len());
}

#[test]
fn scripts_say_nothing_and_pre_keeps_its_lines() {
    assert_eq!(
        t("a<script>if (a < b) { x = '</p>'; }</script><style>p{}</style>b"),
        "ab"
    );
    assert_eq!(
        t("<pre>  pre\n   formatted</pre>after"),
        "pre\n   formatted\n\nafter"
    );
    assert_eq!(t("<title>T</title>x"), "x");
}
