"""A runner module without the class the test asks for."""
