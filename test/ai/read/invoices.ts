/**
 * Invoice PDFs of varied layouts (pdfkit, text layer), with the totals a person reads from them:
 * labels left and amounts far right, a bordered totals table, "Amount due" wording, a
 * tax-inclusive invoice without a subtotal, a discount line, shipping and a grand total, labels
 * above their amounts, totals on page 2, and several currency marks and number formats.
 */
import { invoicePdf, pdfBytes } from '../documents/fixtures.ts';

type Pdf = Parameters<Parameters<typeof pdfBytes>[0]>[0];

export interface InvoiceCase {
  name: string;
  pdf: () => Promise<Buffer>;
  /** Amounts as `normalized` reports them (`1234.56`); null when the invoice prints none. */
  expected: { total: string; subtotal: string | null; tax: string | null; currency?: string };
}

/** Text whose right edge is at `right`. */
function rightAligned(doc: Pdf, text: string, right: number, y: number): void {
  doc.text(text, right - doc.widthOfString(text), y, { lineBreak: false });
}

interface HeaderSpec {
  vendor: string;
  address: string;
  number: string;
  date: string;
  items: [description: string, quantity: string, unitPrice: string, amount: string][];
}

/** Vendor and address top left, number and date top right, an item table; returns the y below it. */
function header(doc: Pdf, spec: HeaderSpec, top = 50): number {
  doc.font('Helvetica-Bold').fontSize(18).text(spec.vendor, 50, top, { lineBreak: false });
  doc.font('Helvetica').fontSize(10).text(spec.address, 50, top + 26, { lineBreak: false });
  doc.fontSize(10);
  doc.text(`Invoice #: ${spec.number}`, 390, top, { lineBreak: false });
  doc.text(`Date: ${spec.date}`, 390, top + 16, { lineBreak: false });
  doc.text('Bill to: Northwind Traders', 50, top + 70, { lineBreak: false });
  let y = top + 110;
  doc.font('Helvetica-Bold');
  doc.text('Description', 50, y, { lineBreak: false });
  doc.text('Qty', 300, y, { lineBreak: false });
  rightAligned(doc, 'Unit price', 440, y);
  rightAligned(doc, 'Amount', 545, y);
  doc.font('Helvetica');
  for (const [description, quantity, unitPrice, amount] of spec.items) {
    y += 18;
    doc.text(description, 50, y, { lineBreak: false });
    doc.text(quantity, 300, y, { lineBreak: false });
    rightAligned(doc, unitPrice, 440, y);
    rightAligned(doc, amount, 545, y);
  }
  return y + 36;
}

/** Totals as rows: label at `labelX` (left aligned), amount right-aligned at 545. */
function totalRows(doc: Pdf, rows: [label: string, amount: string, bold?: boolean][], y: number, labelX: number): void {
  for (const [label, amount, bold] of rows) {
    doc.font(bold === true ? 'Helvetica-Bold' : 'Helvetica');
    doc.text(label, labelX, y, { lineBreak: false });
    rightAligned(doc, amount, 545, y);
    y += 18;
  }
}

export const INVOICES: InvoiceCase[] = [
  {
    name: 'labels beside the amount column, total printed with its label (the documents fixture)',
    pdf: invoicePdf,
    expected: { total: '1234.56', subtotal: '1028.80', tax: '205.76' },
  },
  {
    name: 'labels at the left margin, dollar amounts at the right margin',
    pdf: () =>
      pdfBytes((doc) => {
        const y = header(doc, {
          vendor: 'Blue Harbor Consulting LLC',
          address: '88 Pier Avenue, Santa Monica, CA 90401',
          number: 'BH-2291',
          date: '03/18/2024',
          items: [['Strategy workshop', '2', '$1,200.00', '$2,400.00'], ['Follow-up report', '1', '$750.00', '$750.00']],
        });
        totalRows(doc, [['Subtotal', '$3,150.00'], ['Sales tax (8.875%)', '$279.56'], ['Total', '$3,429.56', true]], y, 50);
      }),
    expected: { total: '3429.56', subtotal: '3150.00', tax: '279.56', currency: 'USD' },
  },
  {
    name: 'a bordered totals table with "Net amount" and euro amounts in the European format',
    pdf: () =>
      pdfBytes((doc) => {
        const y = header(doc, {
          vendor: 'Atelier Lumière SARL',
          address: '14 Rue des Fleurs, 69002 Lyon',
          number: 'F-2024-0318',
          date: '18.03.2024',
          items: [['Lighting design', '1', '900,00 €', '900,00 €'], ['Site visit', '2', '175,00 €', '350,00 €']],
        });
        const rows: [string, string][] = [['Net amount', '1.250,00 €'], ['VAT 21%', '262,50 €'], ['Total amount', '1.512,50 €']];
        rows.forEach(([label, amount], i) => {
          const top = y + i * 22;
          doc.rect(330, top - 5, 215, 22).stroke();
          doc.moveTo(450, top - 5).lineTo(450, top + 17).stroke();
          doc.font(i === rows.length - 1 ? 'Helvetica-Bold' : 'Helvetica');
          doc.text(label, 336, top, { lineBreak: false });
          rightAligned(doc, amount, 539, top);
        });
      }),
    expected: { total: '1512.50', subtotal: '1250.00', tax: '262.50', currency: 'EUR' },
  },
  {
    name: '"Amount due" wording, also in a summary box at the top of the page',
    pdf: () =>
      pdfBytes((doc) => {
        const y = header(doc, {
          vendor: 'Greenfield Landscaping',
          address: '402 Oak Ridge Road, Austin, TX 78701',
          number: '10077',
          date: '04/02/2024',
          items: [['Lawn care (monthly)', '4', '$160.00', '$640.00'], ['Hedge trimming', '1', '$200.00', '$200.00']],
        }, 120);
        doc.rect(390, 40, 155, 50).stroke();
        doc.font('Helvetica').fontSize(9).text('Amount due', 400, 48, { lineBreak: false });
        doc.font('Helvetica-Bold').fontSize(16).text('$909.30', 400, 64, { lineBreak: false });
        doc.fontSize(10);
        totalRows(doc, [['Subtotal', '$840.00'], ['Tax 8.25%', '$69.30'], ['Amount due', '$909.30', true]], y, 330);
      }),
    expected: { total: '909.30', subtotal: '840.00', tax: '69.30', currency: 'USD' },
  },
  {
    name: 'tax included in the total, no subtotal printed',
    pdf: () =>
      pdfBytes((doc) => {
        const y = header(doc, {
          vendor: 'Hartley & Sons Printing',
          address: '7 Mill Lane, Leeds LS1 4AB',
          number: 'HS-5521',
          date: '22/03/2024',
          items: [['Business cards (500)', '2', '£39.00', '£78.00'], ['Flyers A5 (1000)', '1', '£42.00', '£42.00']],
        });
        totalRows(doc, [['Total (incl. VAT)', '£120.00', true], ['Includes VAT at 20%', '£20.00']], y, 330);
      }),
    expected: { total: '120.00', subtotal: null, tax: '20.00', currency: 'GBP' },
  },
  {
    name: 'a discount line between the subtotal and the tax',
    pdf: () =>
      pdfBytes((doc) => {
        const y = header(doc, {
          vendor: 'Summit Office Furniture',
          address: '1200 Market Street, Denver, CO 80202',
          number: 'SOF-7781',
          date: '03/25/2024',
          items: [['Standing desk', '1', '350.00', '350.00'], ['Desk chair', '1', '150.00', '150.00']],
        });
        totalRows(doc, [['Subtotal', '500.00'], ['Discount (10%)', '-50.00'], ['Tax 8%', '36.00'], ['Total USD', '486.00', true]], y, 50);
      }),
    expected: { total: '486.00', subtotal: '500.00', tax: '36.00' },
  },
  {
    name: 'shipping and a grand total in Swiss francs',
    pdf: () =>
      pdfBytes((doc) => {
        const y = header(doc, {
          vendor: 'Bergmann Präzision AG',
          address: 'Industriestrasse 9, 8005 Zürich',
          number: 'RE-40912',
          date: '12.03.2024',
          items: [['Precision gauge set', '3', 'CHF 800.00', 'CHF 2,400.00']],
        });
        totalRows(doc, [['Subtotal', 'CHF 2,400.00'], ['Shipping', 'CHF 45.00'], ['VAT 8.1%', 'CHF 198.05'], ['Grand total', 'CHF 2,643.05', true]], y, 330);
      }),
    expected: { total: '2643.05', subtotal: '2400.00', tax: '198.05', currency: 'CHF' },
  },
  {
    name: 'labels above their amounts in one summary row',
    pdf: () =>
      pdfBytes((doc) => {
        const y = header(doc, {
          vendor: 'Copperleaf Web Studio',
          address: '5 Queen Street, Auckland 1010',
          number: 'CWS-118',
          date: '29/02/2024',
          items: [['Website redesign', '1', '2,600.00', '2,600.00'], ['Hosting (12 months)', '1', '240.00', '240.00']],
        });
        const columns: [string, string][] = [['Subtotal', '2,840.00'], ['GST 15%', '426.00'], ['Total due', '3,266.00']];
        columns.forEach(([label, amount], i) => {
          doc.font('Helvetica-Bold').text(label, 250 + i * 110, y, { lineBreak: false });
          doc.font('Helvetica').text(amount, 250 + i * 110, y + 16, { lineBreak: false });
        });
      }),
    expected: { total: '3266.00', subtotal: '2840.00', tax: '426.00' },
  },
  {
    name: 'French "Total HT" / "TVA" / "Total TTC" with spaces between thousands',
    pdf: () =>
      pdfBytes((doc) => {
        const y = header(doc, {
          vendor: 'Boulangerie Martin',
          address: '3 Place du Marché, 33000 Bordeaux',
          number: 'FA-2024-112',
          date: '05/03/2024',
          items: [['Pains spéciaux', '200', '2,50 €', '500,00 €'], ['Viennoiseries', '400', '1,25 €', '500,00 €']],
        });
        totalRows(doc, [['Total HT', '1 000,00 €'], ['TVA 5,5 %', '55,00 €'], ['Total TTC', '1 055,00 €', true]], y, 330);
      }),
    expected: { total: '1055.00', subtotal: '1000.00', tax: '55.00', currency: 'EUR' },
  },
  {
    name: 'a paid invoice: the total, then the payment and a balance due of zero',
    pdf: () =>
      pdfBytes((doc) => {
        const y = header(doc, {
          vendor: 'Riverside IT Services',
          address: '21 Bridge Road, Brisbane QLD 4000',
          number: 'RIT-0457',
          date: '11/03/2024',
          items: [['Network audit', '1', '1,000.00', '1,000.00']],
        });
        totalRows(doc, [['Subtotal', '1,000.00'], ['GST 10%', '100.00'], ['Total AUD', '1,100.00', true], ['Paid by card 11/03/2024', '1,100.00'], ['Balance due', '0.00']], y, 330);
      }),
    expected: { total: '1100.00', subtotal: '1000.00', tax: '100.00', currency: 'AUD' },
  },
  {
    name: 'labels right-aligned against amounts that carry the currency code after them',
    pdf: () =>
      pdfBytes((doc) => {
        const y = header(doc, {
          vendor: 'Nordic Timber AB',
          address: 'Sågverksvägen 4, 852 29 Sundsvall',
          number: 'NT-88120',
          date: '2024-03-14',
          items: [['Pine boards 45x95', '120', '31.40', '3,768.00'], ['Transport', '1', '640.00', '640.00']],
        });
        const rows: [string, string][] = [['Subtotal:', '4,408.00 EUR'], ['VAT 25%:', '1,102.00 EUR'], ['Total:', '5,510.00 EUR']];
        rows.forEach(([label, amount], i) => {
          doc.font(i === rows.length - 1 ? 'Helvetica-Bold' : 'Helvetica');
          rightAligned(doc, label, 440, y + i * 18);
          rightAligned(doc, amount, 545, y + i * 18);
        });
      }),
    expected: { total: '5510.00', subtotal: '4408.00', tax: '1102.00', currency: 'EUR' },
  },
  {
    name: 'totals at the top of page 2 of a long invoice',
    pdf: () =>
      pdfBytes((doc) => {
        const items: [string, string, string, string][] = [];
        for (let i = 1; i <= 30; i++) items.push([`Spare part ${100 + i}`, '1', '12.50', '12.50']);
        header(doc, { vendor: 'Delta Marine Supply', address: '3 Dock Road, Cape Town 8001', number: 'DMS-3090', date: '08/03/2024', items });
        doc.addPage();
        doc.font('Helvetica').fontSize(10);
        totalRows(doc, [['Subtotal', '375.00'], ['VAT 15%', '56.25'], ['Balance due', '431.25', true]], 60, 330);
        doc.text('Payment within 30 days. Bank: 123-456-789', 50, 140, { lineBreak: false });
      }),
    expected: { total: '431.25', subtotal: '375.00', tax: '56.25' },
  },
];
