"""Translation engines. Only modules in this package import engine libraries, lazily."""
