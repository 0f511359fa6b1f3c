"""The year's figures (turnover, VAT return boxes, debtors, prepaid series, costs,
kilometres) and the exports for the bookkeeper (workbook, CSVs, the year folder)."""
