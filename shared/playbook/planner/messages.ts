// Auto-reply messages compare as text: Exchange stores plain text wrapped in HTML, so tags, entities and spacing
// are normalised before deciding whether a change is needed.
const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&nbsp;': ' ',
};

export function messageText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (e) => ENTITIES[e] ?? e)
    .replace(/\s+/g, ' ')
    .trim();
}

export function sameMessage(a: string, b: string): boolean {
  return messageText(a) === messageText(b);
}
