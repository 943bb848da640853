require 'minitest/autorun'
require 'clock'
