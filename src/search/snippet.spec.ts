import { escapeHtml, headlineToHtml, LESS_THAN, MARK_END, MARK_START, plainWord } from './snippet';

describe('headlineToHtml', () => {
  it('escapes the text and turns only the sentinels into <mark>', () => {
    expect(headlineToHtml(`<script>alert("x")</script> & ${MARK_START}fox${MARK_END}'s`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; <mark>fox</mark>&#39;s',
    );
  });

  it('shows the stand-in for < as &lt; and as < in a plain word', () => {
    expect(headlineToHtml(`${LESS_THAN}b> ${MARK_START}x${MARK_END}`)).toBe('&lt;b&gt; <mark>x</mark>');
    expect(plainWord(`${MARK_START}a${LESS_THAN}b${MARK_END}`)).toBe('a<b');
  });

  it('leaves text without markup characters as it is', () => {
    expect(escapeHtml('Olá, mundo — 世界')).toBe('Olá, mundo — 世界');
  });
});
