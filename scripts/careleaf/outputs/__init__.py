"""What Careleaf makes from a built site: PDF handouts and packets, the kiosk copy, XLIFF, the Infobutton index."""
