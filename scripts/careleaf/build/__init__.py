"""The MkDocs plugin and what the build does with it: views, navigation, search, CSP, parallel builds, publishing."""
