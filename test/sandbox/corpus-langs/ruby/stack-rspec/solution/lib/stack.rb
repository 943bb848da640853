class Stack
  class Empty < StandardError; end

  def initialize
    @items = []
  end

  def push(item)
    @items.push(item)
    self
  end

  def pop
    raise Empty, 'stack is empty' if @items.empty?

    @items.pop
  end

  def peek
    @items.last
  end

  def size
    @items.size
  end

  def empty?
    @items.empty?
  end
end
