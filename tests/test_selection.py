"""Keyboard selection geometry on the sample article (pure)."""

from __future__ import annotations

from reader.tui.selection import Selector


def test_words_sentences_and_paragraphs(sample_article):
    text = sample_article.text
    selector = Selector(text, sample_article.blocks)
    para = sample_article.blocks[2]
    span = selector.first_word(para.start)
    assert text[span[0] : span[1]] == "Milli"
    span = selector.grow_word(span, 1)
    assert text[span[0] : span[1]] == "Milli İstihbarat"
    span = selector.grow_sentence(span, 1)
    assert text[span[0] : span[1]].endswith("araya geldi.")
    assert selector.grow_sentence(span, -1) == selector.first_word(span[0])
    assert selector.whole_paragraph(span) == (para.start, para.end)
    assert selector.grow_paragraph(span) == (span[0], para.end)
    assert selector.grow_paragraph((span[0], para.end))[1] == sample_article.blocks[3].end


def test_moving_the_start(sample_article):
    text = sample_article.text
    selector = Selector(text, sample_article.blocks)
    para = sample_article.blocks[2]
    first = selector.first_word(para.start)
    second = selector.move_sentence(first, 1)
    assert text[second[0] :].startswith("Hamas heyeti, 'Gazze")
    assert selector.move_sentence(second, -1) == first
    back = selector.move_sentence(first, -1)  # into the lede
    assert sample_article.blocks[1].start <= back[0] < sample_article.blocks[1].end
    word = selector.move_word(first, 1)
    assert text[word[0] : word[1]] == "İstihbarat"
    assert selector.move_word(word, -1) == first
