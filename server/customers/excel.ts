/**
 * exceljs, loaded on first use: it takes about 16 MB of a process, and only imports and exports
 * of .xlsx files need it.
 */
import type ExcelJS from 'exceljs';

let loading: Promise<typeof ExcelJS> | null = null;

export function loadExcel(): Promise<typeof ExcelJS> {
  loading ??= import('exceljs').then((m) => m.default);
  return loading;
}
