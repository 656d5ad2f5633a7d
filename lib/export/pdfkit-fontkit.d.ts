// pdfkit accepts an already parsed fontkit font wherever it takes font bytes (it checks for a
// `layout` method); @types/pdfkit does not say so.
declare namespace PDFKit.Mixins {
  interface PDFFont {
    registerFont(name: string, src: import('fontkit').Font, family?: string): this;
  }
}
