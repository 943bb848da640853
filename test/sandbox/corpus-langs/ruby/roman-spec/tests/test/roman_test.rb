require 'minitest/autorun'
require 'roman'

describe Roman do
  it 'converts 1' do
    _(Roman.to_roman(1)).must_equal 'I'
  end

  it 'converts 4' do
    _(Roman.to_roman(4)).must_equal 'IV'
  end

  it 'converts 1994' do
    _(Roman.to_roman(1994)).must_equal 'MCMXCIV'
  end

  describe 'out of range' do
    it 'refuses 0' do
      _ { Roman.to_roman(0) }.must_raise ArgumentError
    end
  end
end
