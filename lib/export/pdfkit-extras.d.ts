// What pdfkit does that @types/pdfkit does not say. It takes an already parsed fontkit font
// wherever it takes font bytes (it checks for a `layout` method).
declare namespace PDFKit.Mixins {
  interface PDFFont {
    registerFont(name: string, src: import('fontkit').Font, family?: string): this;
  }
}

// pdfkit tags a table (Table, TR, TH, TD) under this element, and a header cell's scope links
// the data cells to it (their /Headers).
declare namespace PDFKit.Mixins {
  interface TableOptions {
    structParent?: PDFKit.PDFStructureElement;
  }
  interface CellOptions {
    scope?: 'Row' | 'Column' | 'Both';
  }
}
